/* Vietnamese words and number/date format for plotly.js (its toolbar, hover labels, axes). */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "vi",
    dictionary: {
      "Autoscale": "Tự động co giãn",
      "Box Select": "Chọn vùng chữ nhật",
      "Compare data on hover": "So sánh số liệu khi rê chuột",
      "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
      "Download plot": "Tải biểu đồ",
      "Download plot as a PNG": "Tải biểu đồ dạng PNG",
      "Download plot as JSON": "Tải biểu đồ dạng JSON",
      "Image download succeeded": "Đã tải ảnh",
      "JSON download succeeded": "Đã tải JSON",
      "Lasso Select": "Chọn tự do",
      "Pan": "Kéo",
      "Preparing image - this may take a few seconds": "Đang chuẩn bị ảnh, vui lòng chờ trong giây lát",
      "Reset": "Đặt lại",
      "Reset axes": "Đặt lại trục",
      "Reset view": "Đặt lại khung nhìn",
      "Reset views": "Đặt lại khung nhìn",
      "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
      "Sorry, there was a problem downloading your image!": "Xin lỗi, không tải được ảnh!",
      "Sorry, there was a problem downloading your JSON file!": "Xin lỗi, không tải được tệp JSON!",
      "Toggle Spike Lines": "Bật/tắt đường gióng",
      "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
      "Zoom": "Phóng to vùng",
      "Zoom in": "Phóng to",
      "Zoom out": "Thu nhỏ",
      "lower fence:": "cận dưới:",
      "max:": "lớn nhất:",
      "mean:": "trung bình:",
      "median:": "trung vị:",
      "min:": "nhỏ nhất:",
      "q1:": "tứ phân vị 1:",
      "q3:": "tứ phân vị 3:",
      "upper fence:": "cận trên:",
      "trace": "chuỗi"
    },
    format: {
      days: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6",
        "Tháng 7", "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"],
      shortMonths: ["Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "."
    }
  });
}());
